import { LabIcon } from '@jupyterlab/ui-components';
import projectsSvg from '../style/icons/projects.svg';

/** The Projects panel's icon: a folder with a share mark. */
export const projectsIcon = new LabIcon({ name: 'jupyterlab-hubshare:projects', svgstr: projectsSvg });
